# Shared by the truth tests (sourced). Environment, set by ctest
# (tests/CMakeLists.txt) or by hand:
#   CALLMAP      the callmap binary       (default: build/bin/callmap)
#   CALLMAP_GEN  the callmap-gen binary   (default: build/bin/callmap-gen)
# The tests run pipelines/demo.xml of this source tree.
set -u
truth_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src_dir=$(cd "$truth_dir/../.." && pwd)
CALLMAP=${CALLMAP:-$src_dir/build/bin/callmap}
CALLMAP_GEN=${CALLMAP_GEN:-$src_dir/build/bin/callmap-gen}
PIPELINE=$src_dir/pipelines/demo.xml
TO_TSV=$truth_dir/db-to-tsv.sql
export LC_ALL=C

for tool in "$CALLMAP" "$CALLMAP_GEN"; do
    [ -x "$tool" ] || { echo "FAIL: $tool is not built"; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 (the command) is not installed"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/callmap-truth.XXXXXX")
trap 'rm -rf "$work"' EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# gen DIR ARGS...: writes the municipality into DIR, or fails the test
gen() {
    local dir=$1; shift
    if ! "$CALLMAP_GEN" --out "$dir" "$@" >"$work/gen.out" 2>"$work/gen.err"; then
        echo "FAIL: callmap-gen --out $dir $* exited with status $?"
        cat "$work/gen.out" "$work/gen.err"
        exit 1
    fi
}

# load DATA DB LOG: runs the demo pipeline over DATA into DB; sets $status
load() {
    CALLMAP_DATA=$1 CALLMAP_DB=$2 "$CALLMAP" run "$PIPELINE" >"$3" 2>&1
    status=$?
}

# to_tsv DB DATA: the truth keys computed from the store (files relative to DATA)
to_tsv() {
    sqlite3 -batch -bail -cmd ".parameter set @data \"'$2'\"" "$1" <"$TO_TSV"
}

# compare_truth DB DATA TRUTH_TSV LABEL: diffs the store's keys with the truth
compare_truth() {
    local got=$work/$4.store.tsv
    if ! to_tsv "$1" "$2" >"$got"; then
        fail "$4: db-to-tsv.sql failed on $1"
        return
    fi
    if ! cmp -s "$got" "$3"; then
        fail "$4: the store differs from truth.tsv (- truth, + store):"
        diff -U0 --label truth.tsv --label store "$3" "$got" | grep -v '^@@' | head -n 200
        echo "  ($(diff "$3" "$got" | grep -c '^<') truth lines missing or different," \
             "$(diff "$3" "$got" | grep -c '^>') store lines unexpected)"
    fi
}

# finish NAME: the test's verdict and exit status
finish() {
    if [ "$failures" -eq 0 ]; then
        echo "$1: ok"
        exit 0
    fi
    echo "$1: $failures problem(s)"
    exit 1
}
