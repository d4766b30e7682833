# The two commands of the quick start:
#   make serve   set everything up and start the web app on http://127.0.0.1:7860
#   make test    set everything up and run the whole test suite
.PHONY: setup serve test lint bench

setup:
	bash scripts/setup.sh

serve: setup
	.venv/bin/tryon serve --host 127.0.0.1 --port 7860

test: setup
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: setup
	.venv/bin/pip install -q -e '.[bench]'  # the references: pypbd, implicit
	.venv/bin/tryon bench --json bench.json
