#!/usr/bin/env bash
# The SDK as a plugin author meets it: install the built tree into a temporary
# prefix, copy sdk/template out of the source tree, build it against the
# installed SDK, and run the sample pipeline with the INSTALLED callmap.
#
#   template-test.sh pkgconfig|cmake BUILD_DIR TEMPLATE_DIR
#
#   pkgconfig  build with the template's Makefile (pkg-config --cflags
#              callmap-plugin), load it with --plugin-path
#   cmake      build with its CMakeLists.txt (find_package(callmap)), install
#              it into CALLMAP_PLUGIN_DIR and load it from there
#
# Environment (optional): CMAKE (default cmake), CC (default cc).
set -u
mode=${1:?usage: template-test.sh pkgconfig|cmake BUILD_DIR TEMPLATE_DIR}
build=$(cd "${2:?build dir}" && pwd) || exit 1
template=$(cd "${3:?template dir}" && pwd) || exit 1
CMAKE=${CMAKE:-cmake}
CC=${CC:-cc}
export CC
unset CALLMAP_PLUGIN_PATH PKG_CONFIG_PATH CMAKE_PREFIX_PATH

work=$(mktemp -d "${TMPDIR:-/tmp}/callmap-sdk-$mode.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
src=$work/plugin
failures=0
fail() { echo "FAIL sdk.template-$mode: $*"; failures=$((failures + 1)); }
# Run a command, its output in $work/log; on failure show it and stop.
must() {
    if ! "$@" >"$work/log" 2>&1; then
        echo "FAIL sdk.template-$mode: command failed: $*"
        sed 's/^/    /' "$work/log" | tail -40
        exit 1
    fi
}
# same LABEL EXPECTED GOT
same() {
    if [ "$2" != "$3" ]; then
        fail "$1"
        diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/    /'
    fi
}

# 1. install
must "$CMAKE" --install "$build" --prefix "$prefix"
callmap=$prefix/bin/callmap
for f in bin/callmap include/callmap/plugin.h lib/callmap/plugins/pbx.so \
         lib/pkgconfig/callmap-plugin.pc lib/cmake/callmap/callmapConfig.cmake \
         lib/cmake/callmap/callmapConfigVersion.cmake lib/cmake/callmap/callmapTargets.cmake; do
    [ -e "$prefix/$f" ] || fail "not installed: $f"
done
cp -R "$template" "$src"
rm -rf "$src/out" "$src/build" "$src/template.so"

# 2. build the plugin out of tree
case $mode in
pkgconfig)
    pc() { PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config "$@"; }
    # the .pc file is relocatable (prefix=${pcfiledir}/../..): compare real paths
    same "pkg-config --cflags" "-I$(realpath "$prefix/include")" \
        "-I$(realpath -m "$(pc --cflags callmap-plugin | sed 's/^-I//; s/ *$//')")"
    same "pkg-config plugindir" "$(realpath "$prefix/lib/callmap/plugins")" \
        "$(realpath -m "$(pc --variable=plugindir callmap-plugin)")"
    same "pkg-config --modversion" "$("$callmap" --version | awk '{print $2}')" "$(pc --modversion callmap-plugin)"
    if command -v make >/dev/null; then
        must make -C "$src" PKG_CONFIG_PATH="$prefix/lib/pkgconfig" CFLAGS="-O2 -Werror"
    else # what the Makefile runs
        must "$CC" -std=c11 -Wall -Wextra -O2 -Werror $(pc --cflags callmap-plugin) \
            -fPIC -fvisibility=hidden -shared -o "$src/template.so" "$src/template.c"
    fi
    plugin=$src/template.so
    path_args=(--plugin-path "$src")
    ;;
cmake)
    must "$CMAKE" -S "$src" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_C_FLAGS=-Werror -DCMAKE_BUILD_TYPE=RelWithDebInfo
    must "$CMAKE" --build "$work/build"
    must "$callmap" --plugin-path "$work/build" plugins show template
    grep -q "^template 0.1.0" "$work/log" || fail "plugins show from the build folder"
    must "$CMAKE" --install "$work/build"
    plugin=$prefix/lib/callmap/plugins/template.so
    [ -f "$plugin" ] || fail "cmake --install did not put template.so into $prefix/lib/callmap/plugins"
    path_args=() # found in the installed plugin folder
    ;;
*) echo "unknown mode '$mode'"; exit 2 ;;
esac

# hidden visibility: the descriptor is the only symbol the plugin exports
if command -v nm >/dev/null; then
    same "exported symbols" "callmap_plugin" \
        "$(nm -D --defined-only "$plugin" | awk '$2 ~ /^[A-Z]$/ && $2 != "A" {print $3}')"
fi

# 3. the installed callmap describes it (from an unrelated working directory)
cd "$work" || exit 1
must "$callmap" "${path_args[@]}" plugins show template
show=$(cat "$work/log")
for want in "template 0.1.0 — Template plugin: CSV call lines and a channel tag" \
            "  file:    $plugin" "  ABI:     1.0" \
            "  kind lines (source, dataset calls)" \
            "  kind tag-channel (transform, dataset calls)"; do
    [[ "$show" == *"$want"* ]] || fail "plugins show lacks: $want"
done
grep -Eq '^ +extension-length +int +no +4 ' <<<"$show" || fail "plugins show: extension-length row"
grep -Eq '^ +channel +string +yes +- ' <<<"$show" || fail "plugins show: channel row"

# 4. run the sample pipeline (source + transform)
"$callmap" "${path_args[@]}" run "$src/pipeline.xml" >"$work/run.out" 2>"$work/run.err"
rc=$?
if [ $rc -ne 0 ]; then
    fail "callmap run exited $rc"
    sed 's/^/    /' "$work/run.out" "$work/run.err"
fi
db=$src/out/sample.db
q() { sqlite3 -batch -bail "$db" "$1" 2>&1; }
same "calls row count" "5" "$(q 'SELECT count(*) FROM calls')"
same "calls rows" "2|2025-05-05T07:00:00Z|2025-05-05T09:00:00|inbound|+4533661234|+4520111111|national|answered|65||65|fixed
3|2025-05-05T07:05:00Z|2025-05-05T09:05:00|outbound|+4533661234|+46701234567|international|answered|120||120|fixed
4|2025-05-05T07:10:00Z|2025-05-05T09:10:00|inbound|+4533661234|hidden|hidden|missed|20|20|0|fixed
5|2025-05-05T07:15:00Z|2025-05-05T09:15:00|internal|+4533661234|+4533661240|internal|answered|30||30|fixed
8|2025-10-26T00:30:00Z|2025-10-26T02:30:00|outbound|+4533661234|+4570101010|special|missed|45|45|0|fixed" \
    "$(q "SELECT source_record, start_utc, start_local, direction, local_number, remote_number,
                 remote_type, outcome, duration_s, wait_s, talk_s, channel
          FROM calls ORDER BY source_record")"
same "rejects" "6|duration 'sixty' is not a whole number of seconds (0 to 604800)|2025-05-05 09:20:00;in;20222222;1234;sixty;yes
7|start '2025-03-30 02:30:00' does not exist in Europe/Copenhagen (the clocks skip that hour)|2025-03-30 02:30:00;in;20333333;1234;10;yes" \
    "$(q 'SELECT record, reason, raw FROM rejects ORDER BY record')"
same "source_files" "sample|loaded|7|5|2|template|0.1.0|lines" \
    "$(q 'SELECT source, status, records_read, records_loaded, records_rejected, plugin, plugin_version, kind FROM source_files')"
same "counters" "ambiguous_times|1" "$(q 'SELECT name, value FROM source_file_counters')"

# 5. a bad option value stops the pipeline before any data is read
if [ "$mode" = pkgconfig ]; then
    sed 's/value="fixed"/value="pigeon"/' "$src/pipeline.xml" >"$src/bad.xml"
    "$callmap" "${path_args[@]}" validate "$src/bad.xml" >"$work/bad.out" 2>"$work/bad.err"
    rc=$?
    same "validate with a bad channel: exit status" "2" "$rc"
    grep -q "channel must be mobile, fixed, pbx or contact_center, not 'pigeon'" "$work/bad.err" ||
        { fail "validate with a bad channel: no reason"; sed 's/^/    /' "$work/bad.err"; }
fi

if [ $failures -gt 0 ]; then
    echo "sdk.template-$mode: $failures check(s) failed"
    exit 1
fi
echo "sdk.template-$mode: ok"
