# Thin wrapper: the work is in dev.sh, which needs only bash, Python and pip.
.PHONY: run test
run:
	bash dev.sh run
test:
	bash dev.sh test
