# The manual pages and the bash completion stay true to the program: both
# pages pass man's and groff's warnings; every subcommand and option the
# binary offers is documented in crowdfeed(1) and completed by bash; every
# configuration key config.cpp reads is documented in crowdfeed.toml(5).
source "$(dirname "$0")/lib.sh"

docs=$SOURCE_DIR/docs
for page in "$docs/crowdfeed.1" "$docs/crowdfeed.toml.5"; do
  out=$(man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null) || fail "man cannot format $page"
  [ -z "$out" ] || fail "man warns about $page: $out"
  out=$(groff -man -ww -z "$page" 2>&1) || fail "groff cannot format $page"
  [ -z "$out" ] || fail "groff warns about $page: $out"
done

# Each subcommand, and each of its options (from its own --help), in crowdfeed(1).
options_of() {  # SUBCOMMAND...: the long options its --help lists
  "$CROWDFEED" "$@" --help | sed -n '/^Options:/,/^Subcommands:/p' | grep -oE '^ +(-[a-zA-Z],)?--[a-z-]+' |
    sed -E 's/^ +(-[a-zA-Z],)?//' | grep -vx -- '--help'
}
commands=$("$CROWDFEED" --help | sed -n '/^Subcommands:/,$p' | awk 'NF > 1 && $1 != "Subcommands:" { print $1 }')
[ "$(echo "$commands" | wc -l)" -ge 7 ] || fail "too few subcommands found in --help: $commands"
man1=$(cat "$docs/crowdfeed.1")
for option in $(options_of); do
  assert_contains "$man1" "${option//-/\\-}" "crowdfeed(1) documents the global option $option"
done
for command in $commands; do
  words=$command
  [ "$command" == whitelist ] && words="whitelist build"
  grep -qxF ".SS ${words//-/\\-}" "$docs/crowdfeed.1" || fail "crowdfeed(1) has no section for $words"
  for option in $(options_of $words); do
    assert_contains "$man1" "${option//-/\\-}" "crowdfeed(1) documents $words $option"
  done
done

# Every key the configuration reader takes, in crowdfeed.toml(5).
keys=$(grep -oE '\.(read|require|read_tables|table)\("[a-z_0-9]+"' "$SOURCE_DIR/src/config/config.cpp" | sed -E 's/.*\("//; s/"//' | sort -u)
[ "$(echo "$keys" | wc -l)" -ge 60 ] || fail "too few configuration keys found in config.cpp: $keys"
for key in $keys; do
  # An entry (".BR key (type, default ...)") or a section ("[key]", "[[feeds.key]]").
  grep -qE "^\.BR? $key( |$)|^\.SS \[$key\]|\[\[[a-z.]*$key\]\]" "$docs/crowdfeed.toml.5" ||
    fail "crowdfeed.toml(5) has no entry for the key '$key'"
done

# bash completion, as bash-completion loads it.
[ -r /usr/share/bash-completion/bash_completion ] || fail "bash-completion is needed (apt-get install bash-completion)"
complete_line() {  # WORDS...: what completing the last word offers
  bash -c '
    source /usr/share/bash-completion/bash_completion
    source "$1"; shift
    COMP_WORDS=(crowdfeed "$@"); COMP_CWORD=$#
    COMP_LINE="crowdfeed $*"; COMP_POINT=${#COMP_LINE}
    _crowdfeed crowdfeed "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$SOURCE_DIR/deploy/crowdfeed.bash-completion" "$@"
}
assert_eq publish "$(complete_line pub)" "completing 'pub'"
for command in $commands; do
  assert_contains "$(complete_line '')" "$command" "completion offers $command"
done
for command in $commands; do
  words=$command
  [ "$command" == whitelist ] && words="whitelist build"
  offered=$(complete_line $words --)
  for option in $(options_of $words); do
    grep -qx -- "$option" <<<"$offered" || fail "completion of '$words --' lacks $option: $offered"
  done
done
assert_eq "--json" "$(complete_line -c x.toml status --js)" "a subcommand found after a global option's value"
assert_eq "$(printf 'json\ntext')" "$(complete_line --log-format '' | sort)" "--log-format values"
echo ok
