#!/usr/bin/env bash
# Builds the libFuzzer targets (address sanitizer) and runs each for SECONDS; any crash fails the run and
# leaves its input in .build-fuzz/crashes/<target>/ to become a regression fixture.
# Usage: Tests/Fuzz/fuzz.sh SECONDS [TARGET...]   (targets: parser wire journal config)
# The config target needs Yams's sources, which `swift build` checks out under .build/checkouts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_TARGET=${1:-10}
shift || true
TARGETS=${*:-parser wire journal config}
OUT=.build-fuzz
mkdir -p "$OUT"
FLAGS=(-sanitize=fuzzer,address -parse-as-library -suppress-warnings -package-name newsflow)
swiftc "${FLAGS[@]}" -emit-module -emit-library -static -module-name NewsModel Sources/NewsModel/*.swift \
    -o "$OUT/libNewsModel.a" -emit-module-path "$OUT/NewsModel.swiftmodule" 2>/dev/null
swiftc "${FLAGS[@]}" -emit-module -emit-library -static -module-name ArticleParsing -I "$OUT" \
    $(find Sources/ArticleParsing -name '*.swift') -o "$OUT/libArticleParsing.a" \
    -emit-module-path "$OUT/ArticleParsing.swiftmodule" 2>/dev/null

yams() {  # Yams (and libyaml, its C core) built with the same instrumentation, for the config target
  local src=.build/checkouts/Yams/Sources
  [ -d "$src/CYaml" ] || { echo "Yams is not checked out: run swift build first" >&2; exit 2; }
  mkdir -p "$OUT/cyaml"
  for c in "$src"/CYaml/src/*.c; do
    clang -c -O1 -fsanitize=fuzzer-no-link,address -DYAML_DECLARE_STATIC -I "$src/CYaml/include" "$c" -o "$OUT/cyaml/$(basename "$c" .c).o"
  done
  ar rcs "$OUT/libCYaml.a" "$OUT"/cyaml/*.o
  swiftc "${FLAGS[@]}" -DSWIFT_PACKAGE -Xcc -DYAML_DECLARE_STATIC -emit-module -emit-library -static -module-name Yams -I "$src/CYaml/include" \
      "$src"/Yams/*.swift -o "$OUT/libYams.a" -emit-module-path "$OUT/Yams.swiftmodule" 2>/dev/null
}

seed() {  # seed corpus per target
  local target=$1 dir="$OUT/corpus/$1"
  mkdir -p "$dir"
  # Inputs that once crashed a target are always run again first.
  cp Tests/Fuzz/regressions/"$target"/* "$dir/" 2>/dev/null || true
  case $target in
    parser)
      cp samples/*.txt "$dir/" 2>/dev/null || true
      cp Tests/ArticleParsingTests/Fixtures/* "$dir/" 2>/dev/null || true
      cp ../shared/seeds/*.txt "$dir/" 2>/dev/null || true
      printf '{"title": "T", "text": "Body.", "date": "2024-01-02"}' > "$dir/json"
      printf '<html><head><title>T</title></head><body><p>One.</p><nav><p>x</p></nav></body></html>' > "$dir/html"
      # Real pages for the HTML extractor: the head (metadata, JSON-LD) and the body of a few NAEB pages,
      # each cut to the fuzzer's 64 KB.
      for page in $(ls ../shared/corpus/naeb/html/*.html.gz 2>/dev/null | head -8); do
        name=$(basename "$page" .html.gz)
        # (gzip stops early on the closed pipe: not an error here)
        { gzip -dc "$page" | head -c 60000 > "$dir/naeb-head-$name.html"; } || true
        { gzip -dc "$page" | awk 'found || /<body/ {found=1; print}' | head -c 60000 > "$dir/naeb-body-$name.html"; } || true
      done ;;
    wire)
      printf 'newsflow/1\377inject\377{"name":"a.txt"}\377Title\n\nBody' > "$dir/inject"
      printf 'newsflow/1\377ack\377{"acks":[{"seq":1,"id":"a","outcome":"written"}]}' > "$dir/ack"
      printf 'newsflow/1\377ready\377{"worker":"p","capacity":8,"done":[1,2]}' > "$dir/ready" ;;
    journal)
      find data/journal ../shared -maxdepth 3 -name 'segment-*.jsonl' 2>/dev/null | head -3 | xargs -r -I{} cp {} "$dir/" || true
      printf '{"body":"x","fetched_at":"t","id":"a","seq":1,"source":{"kind":"dir","uri":"u"},"crc32":"00000000"}\n' > "$dir/line" ;;
    config)
      cp config/*.yaml "$dir/" 2>/dev/null || true
      printf 'parsers: 4\nlimits:\n  max_article_bytes: 100\nendpoints:\n  ingest: "tcp://h:1"\n' > "$dir/small.yaml"
      printf 'a: [1, {b: "c"}]\n' > "$dir/flow.yaml" ;;
  esac
}

status=0
for target in $TARGETS; do
  case $target in
    parser) source=Tests/Fuzz/ParserFuzz.swift; libs=("$OUT/libArticleParsing.a" "$OUT/libNewsModel.a") ;;
    wire) source=Tests/Fuzz/WireFuzz.swift; libs=("$OUT/libNewsModel.a") ;;
    journal) source=Tests/Fuzz/JournalFuzz.swift; libs=("$OUT/libNewsModel.a") ;;
    config)
      yams
      source="Tests/Fuzz/ConfigFuzz.swift Sources/newsflow/ConfigChecker.swift Sources/newsflow/ConfigSchema.swift Sources/Fetcher/Feeds/FeedSettings.swift"
      libs=("$OUT/libYams.a" "$OUT/libCYaml.a" "$OUT/libArticleParsing.a" "$OUT/libNewsModel.a") ;;
    *) echo "unknown fuzz target $target" >&2; exit 2 ;;
  esac
  # shellcheck disable=SC2086  # $source may name several files
  if ! swiftc "${FLAGS[@]}" -I "$OUT" -I .build/checkouts/Yams/Sources/CYaml/include $source "${libs[@]}" \
      -o "$OUT/fuzz-$target" 2> "$OUT/build-$target.log"; then
    echo "fuzz target $target does not build:" >&2
    grep -E "error" "$OUT/build-$target.log" | head -20 >&2
    exit 1
  fi
  seed "$target"
  mkdir -p "$OUT/crashes/$target"
  echo "fuzzing $target for ${SECONDS_PER_TARGET}s"
  if ! "$OUT/fuzz-$target" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -rss_limit_mb=2048 \
       -artifact_prefix="$OUT/crashes/$target/" "$OUT/corpus/$target" > "$OUT/fuzz-$target.log" 2>&1; then
    echo "fuzz target $target FOUND A CRASH: see $OUT/crashes/$target/ and $OUT/fuzz-$target.log" >&2
    tail -30 "$OUT/fuzz-$target.log" >&2
    status=1
  fi
  grep -E "^Done [0-9]+ runs" "$OUT/fuzz-$target.log" || true
done
exit $status
