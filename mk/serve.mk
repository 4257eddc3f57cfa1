# make serve: browse the claims database in Datasette, read-only (not immutable), on 127.0.0.1.
PORT ?= 8001

.PHONY: serve

serve:  ## browse $(DB) read-only in Datasette at http://127.0.0.1:$(PORT)/ (canned queries, search, facets)
	@$(if $(wildcard $(DB)),,$(error no database at $(DB): run `make extract` first))
	$(PY) -m pipeline serve --db $(DB) --host 127.0.0.1 --port $(PORT)
