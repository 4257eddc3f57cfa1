# Web stages: fetch into archive/ and evaluate the parser. Included by the top-level Makefile.
SOURCES ?= sources.toml
ARCHIVE ?= archive
WEB_CORPUS ?= $(SHARED)/corpus/web
FETCH_FLAGS ?=
ifeq ($(ALLOW_PRIVATE),1)
FETCH_FLAGS += --allow-private
endif

.PHONY: fetch eval-web

fetch:  ## fetch what is new from the sources (SOURCES=file.toml, ALLOW_PRIVATE=1 for a local server)
	$(PY) -m pipeline fetch --sources $(SOURCES) --archive $(ARCHIVE) $(FETCH_FLAGS)

eval-web:  ## parse-stage evaluation against ../shared/corpus/web (SHARED=DIR) with trafilatura as baseline; gated by eval/floors-web.json
	$(PY) -m eval.eval_web --corpus $(WEB_CORPUS) --floors eval/floors-web.json
