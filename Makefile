# `sam build` builds each function with this Makefile (template.yaml: `Metadata: BuildMethod: makefile`,
# `CodeUri: .`): it runs `make build-<LogicalId>` with ARTIFACTS_DIR set to the function's build folder.
# Each target copies the function's shaded jar into $(ARTIFACTS_DIR)/lib/, where Lambda's Java runtime
# loads it from. The jars come from one Maven reactor build (JDK 25, no tests, no npm), run only when a
# source is newer than the jar: the first function's target builds them all, the others just copy.
# samconfig.toml sets build_in_source, so that build happens once, in this folder.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# Logical id in template.yaml -> Maven module under functions/ (whose shaded jar is target/<module>.jar).
ExecutionApiFunction := execution-api
ConfirmationRequestFunction := confirmation-request
DispatchFunction := dispatch
ImportWorkerFunction := import-worker
FinalizeFunction := finalize
ScheduledRunsFunction := scheduled-runs
ScheduledStartsFunction := scheduled-starts
FUNCTIONS := ExecutionApiFunction ConfirmationRequestFunction DispatchFunction ImportWorkerFunction \
             FinalizeFunction ScheduledRunsFunction ScheduledStartsFunction

comma := ,
empty :=
space := $(empty) $(empty)
MODULES := $(foreach f,$(FUNCTIONS),functions/$($(f)))
SOURCES := pom.xml core/pom.xml $(wildcard adapters/*/pom.xml) $(wildcard functions/*/pom.xml) \
           $(shell find core/src/main adapters/*/src/main $(addsuffix /src/main,$(MODULES)) -type f 2>/dev/null)
MVN_PACKAGE := source scripts/jdk25.sh && mvn -B -q -DskipTests -Dexec.skip=true package \
               -pl $(subst $(space),$(comma),$(MODULES)) -am

.PHONY: jars rebuild $(addprefix build-,$(FUNCTIONS))

# Every function's jar, without SAM: `make jars`.
jars: $(foreach f,$(FUNCTIONS),functions/$($(f))/target/$($(f)).jar)

# The same build even when nothing changed: new jars publish new versions of every function on the
# next deploy (after a deploy that changed only a parameter value; see README "Deploy").
rebuild:
	$(MVN_PACKAGE)

define FUNCTION
build-$(1): functions/$(2)/target/$(2).jar
	@test -n "$$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: run this through sam build" >&2; exit 1; }
	mkdir -p "$$(ARTIFACTS_DIR)/lib"
	cp functions/$(2)/target/$(2).jar "$$(ARTIFACTS_DIR)/lib/"

functions/$(2)/target/$(2).jar: $$(SOURCES)
	$$(MVN_PACKAGE)
	@test -f $$@ || { echo "$$@ was not built" >&2; exit 1; }
endef
$(foreach f,$(FUNCTIONS),$(eval $(call FUNCTION,$(f),$($(f)))))
