# Sourced by the setup scripts (not run): `install_into DIR PACKAGE...` makes DIR a private npm
# project holding exactly PACKAGE..., reinstalled only when that list changes. The caller
# defines `say`.

NPM_INSTALL=(npm install --no-audit --no-fund --loglevel=error)

install_into() {
  local dir="$1"; shift
  local want="$*"
  if [ -f "$dir/.flexguard-installed" ] && [ "$(cat "$dir/.flexguard-installed")" = "$want" ]; then
    say "$(basename "$dir"): present ($want)"
    return
  fi
  say "$(basename "$dir"): installing $want"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  echo "{\"name\":\"flexguard-$(basename "$dir" | tr -c 'a-z0-9.\n' '-')-env\",\"version\":\"0.0.0\",\"private\":true}" > "$dir.tmp/package.json"
  (cd "$dir.tmp" && "${NPM_INSTALL[@]}" --save-exact "$@" >&2)
  echo "$want" > "$dir.tmp/.flexguard-installed"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}
