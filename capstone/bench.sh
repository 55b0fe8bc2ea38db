#!/usr/bin/env bash
# The capstone's speed, side by side on one generated file:
#   capstone/bench.sh [--rows 100M] [--reps 3] [--solution] [--no-baseline] [--dir DIR] [--also 'NAME=COMMAND']
#
# Generates the file once (./lab data; reused while it exists), reads it into the page cache, then runs each
# contestant --reps times, each time in a fresh JVM on a fresh database, interleaved so that a busy moment of the
# machine hits them all alike:
#   pipeline (threads)    ./lab run capstone --input FILE --db-file FRESH   (your code; --solution: the reference)
#   pipeline (processes)  the same with --workers processes, if this build has that option
#   streams baseline      capstone/src/test/java/parlab/capstone/StreamsBaseline.java, one thread
#   DuckDB CTAS           CREATE TABLE AS SELECT ... FROM read_csv(FILE) GROUP BY station (DuckDbCtas.java)
#   NAME (--also)         any other command that takes --input FILE --db-file FRESH and prints the result, e.g.
#                         another version of the pipeline: --also "before=java -cp OLD_CLASSES:... parlab.capstone.CapstoneMain"
# Every time counts from the start of the JVM to its exit (start-up, the work, committing to the database), and
# every output is checked against the expected result the generator wrote (FILE.out): a fast wrong answer shows.
# Prints the median time of each, rows per second, and how many times faster each is than DuckDB and than the
# baseline. Exit status: 0 if every contestant that ran gave the right answer.
{
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS=100M
REPS=3
SIDE=()
BASELINE=1
ALSO=()
DIR="$ROOT/capstone/target/bench"

usage() { sed -n '2,3p' "${BASH_SOURCE[0]}" | sed 's/^# *//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS="${2:?--rows needs a count, e.g. 10M}"; shift 2 ;;
    --reps) REPS="${2:?--reps needs a number}"; shift 2 ;;
    --solution) SIDE=(--solution); shift ;;
    --no-baseline) BASELINE=0; shift ;;
    --dir) DIR="${2:?--dir needs a folder}"; shift 2 ;;
    --also) ALSO+=("${2:?--also needs NAME=COMMAND}"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$REPS" in ''|*[!0-9]*|0) echo "bench.sh: --reps must be a positive number, got $REPS" >&2; exit 2 ;; esac

LAB="$ROOT/lab"
mkdir -p "$DIR" || exit 2
FILE="$DIR/measurements-$ROWS.txt"
EXPECTED="${FILE%.txt}.out"
if [ ! -f "$FILE" ] || [ ! -f "$EXPECTED" ]; then
  "$LAB" data --rows "$ROWS" --out "$FILE" --force || exit 2
fi

# the exact command ./lab run uses (its JVM flags, class path, the unpacked DuckDB library), compiled if needed
mapfile -t PIPELINE < <("$LAB" run --print-command "${SIDE[@]}" capstone)
if [ "${#PIPELINE[@]}" -lt 3 ] || [ "${PIPELINE[${#PIPELINE[@]}-1]}" != parlab.capstone.CapstoneMain ]; then
  echo "bench.sh: ./lab run could not build the capstone:" >&2
  printf '%s\n' "${PIPELINE[@]}" >&2
  exit 2
fi
JAVA="${PIPELINE[0]}"
FLAGS=()
CP=""
for ((i = 1; i < ${#PIPELINE[@]}; i++)); do
  if [ "${PIPELINE[$i]}" = -cp ]; then CP="${PIPELINE[$((i + 1))]}"; break; fi
  FLAGS+=("${PIPELINE[$i]}")
done
HELPERS="$DIR/classes"
"$(dirname "$JAVA")/javac" -nowarn -d "$HELPERS" -cp "$CP" \
    "$ROOT/capstone/src/test/java/parlab/capstone/StreamsBaseline.java" \
    "$ROOT/capstone/src/test/java/parlab/capstone/DuckDbCtas.java" || exit 2
HELPER_CP="$HELPERS:$CP"

NAMES=("pipeline (threads)")
COMMANDS=("pipeline")
if "${PIPELINE[@]}" --help 2>/dev/null | grep -q -- '--workers'; then
  NAMES+=("pipeline (processes)"); COMMANDS+=("processes")
else
  NOTE="pipeline (processes): skipped, this build has no --workers option"
fi
for ((i = 0; i < ${#ALSO[@]}; i++)); do NAMES+=("${ALSO[$i]%%=*}"); COMMANDS+=("also$i"); done
if [ "$BASELINE" = 1 ]; then NAMES+=("streams baseline"); COMMANDS+=("baseline"); fi
NAMES+=("DuckDB CTAS"); COMMANDS+=("ctas")

DB="$DIR/bench.duckdb"
contestant() {
  case "$1" in
    pipeline) "${PIPELINE[@]}" --input "$FILE" --db-file "$DB" ;;
    processes) "${PIPELINE[@]}" --input "$FILE" --db-file "$DB" --workers processes ;;
    baseline) "$JAVA" "${FLAGS[@]}" -cp "$HELPER_CP" parlab.capstone.StreamsBaseline "$FILE" ;;
    ctas) "$JAVA" "${FLAGS[@]}" -cp "$HELPER_CP" parlab.capstone.DuckDbCtas "$FILE" "$DB" ;;
    also*) ${ALSO[${1#also}]#*=} --input "$FILE" --db-file "$DB" ;;
  esac
}

cat "$FILE" >/dev/null # into the page cache
ROW_COUNT=$(wc -l <"$FILE")
echo "$ROW_COUNT rows, $(du -hL "$FILE" | cut -f1), $REPS run(s) each, $(nproc) cores, load:$(uptime | sed 's/.*load average://')"
declare -A TIMES CHECKS
FAILED=0
for ((rep = 1; rep <= REPS; rep++)); do
  for k in "${!COMMANDS[@]}"; do
    c="${COMMANDS[$k]}"
    rm -f "$DB" "$DB.wal"
    start=$(date +%s%N)
    contestant "$c" >"$DIR/$c.out" 2>"$DIR/$c.err"
    status=$?
    end=$(date +%s%N)
    if [ $status -ne 0 ]; then
      verdict="FAILED (exit $status): $(head -c 300 "$DIR/$c.err" | head -n 2 | tr '\n' ' ')"
    elif cmp -s <(tr -d '\n' <"$DIR/$c.out") <(tr -d '\n' <"$EXPECTED"); then
      verdict="ok"
    elif [ "$c" = ctas ]; then
      verdict=$("$JAVA" "${FLAGS[@]}" -cp "$HELPER_CP" parlab.capstone.DuckDbCtas --check "$EXPECTED" "$DIR/$c.out")
    else
      verdict="WRONG (see $DIR/$c.out)"
    fi
    case "$verdict" in ok*) TIMES[$c]+="$(((end - start) / 1000000)) " ;; *) FAILED=1 ;; esac
    [ -z "${CHECKS[$c]:-}" ] || [ "${CHECKS[$c]}" = ok ] && CHECKS[$c]="$verdict"
    printf '  run %d  %-22s %6.2f s  %s\n' "$rep" "${NAMES[$k]}" "$(awk "BEGIN{print ($end - $start) / 1e9}")" "$verdict"
  done
done
rm -f "$DB" "$DB.wal"

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)] / 1000}'; }
CTAS=$(echo "${TIMES[ctas]:-}" | median)
BASE=$(echo "${TIMES[baseline]:-}" | median)
echo
printf '%-22s %10s %14s %12s %14s  %s\n' contestant "median s" "rows/s" "vs DuckDB" "vs baseline" check
for k in "${!COMMANDS[@]}"; do
  c="${COMMANDS[$k]}"
  t=$(echo "${TIMES[$c]:-}" | median)
  if [ -z "$t" ]; then
    printf '%-22s %10s %14s %12s %14s  %s\n' "${NAMES[$k]}" - - - - "${CHECKS[$c]:-}"
    continue
  fi
  awk -v name="${NAMES[$k]}" -v t="$t" -v rows="$ROW_COUNT" -v ctas="${CTAS:-}" -v base="${BASE:-}" -v check="${CHECKS[$c]}" \
    'BEGIN { printf "%-22s %10.2f %12.1f M %11s %14s  %s\n", name, t, rows / t / 1e6,
             ctas == "" ? "-" : sprintf("%.2fx", ctas / t), base == "" ? "-" : sprintf("%.2fx", base / t), check }'
done
echo "vs DuckDB, vs baseline: how many times faster (above 1: faster). Times from JVM start to exit, median of $REPS."
[ -n "${NOTE:-}" ] && echo "$NOTE"
exit $FAILED
}
