#!/usr/bin/env bash
# Installs what SegFault Arena needs on a fresh Debian/Ubuntu machine, as root.
# Idempotent and quiet when everything is present: `make run` and `make test`
# call it first, so the two README commands do all the set-up.
set -euo pipefail

# apt_get is apt-get that waits while another package manager holds apt's
# locks (on a fresh machine unattended-upgrades often does, for minutes):
# install waits for the dpkg lock by itself, update gives up at once on the
# lists lock, so it is retried, for up to 10 minutes.
apt_get() {
	local err rc
	err=$(mktemp)
	for _ in $(seq 60); do
		rc=0
		apt-get -o DPkg::Lock::Timeout=600 "$@" 2>"$err" || rc=$?
		cat "$err" >&2
		if [ $rc = 0 ] || ! grep -q 'Could not get lock' "$err"; then
			rm -f "$err"
			return $rc
		fi
		echo "setup: apt is busy (another package manager holds its lock); trying again in 10 s" >&2
		sleep 10
	done
	rm -f "$err"
	return 1
}

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }
want() { # want COMMAND PACKAGE
	have "$1" || need_apt+=("$2")
}

want gcc gcc
want g++ g++
want make make
want git git
want python3 python3
want java openjdk-17-jdk-headless
want javac openjdk-17-jdk-headless
want node nodejs
want npm npm
want rustc rustc
want runc runc
want runsc runsc
want nats-server nats-server
want curl curl
want chromium chromium
[ -x /usr/local/go/bin/go ] || have go || need_apt+=(golang-go)
[ -n "${SEGFAULT_SETUP_EXTRA:-}" ] && need_apt+=($SEGFAULT_SETUP_EXTRA)

# Judge languages beyond the seven above (python c cpp go javascript java
# rust, found by command wherever they were installed), from the one language table
# (internal/judge/languages.yaml: each entry's install list, else its
# package). SEGFAULT_LANGUAGES chooses them: all (the default; CI), none,
# or ids separated by commas (kotlin,haskell). An install item npm:NAME is
# the npm project scripts/NAME, installed into /opt/segfault/NAME.
lang_table=internal/judge/languages.yaml
want_langs=${SEGFAULT_LANGUAGES:-all}
need_npm=()
if [ "$want_langs" != none ] && [ -f "$lang_table" ]; then
	lang_pkgs=()
	while read -r id items; do
		case "$id" in python | c | cpp | go | javascript | java | rust) continue ;; esac # checked above
		case ",$want_langs," in ,all,|*",$id,"*) ;; *) continue ;; esac
		for item in $items; do
			case "$item" in
			npm:*) need_npm+=("${item#npm:}") ;;
			*) lang_pkgs+=("$item") ;;
			esac
		done
	done < <(awk '
		/^- id: / { if (id != "") print id, (inst != "" ? inst : pkg); id = $3; pkg = ""; inst = "" }
		/^  package: / { pkg = $2 }
		/^  install: \[/ { sub(/^  install: \[/, ""); sub(/\].*$/, ""); gsub(/[",]/, " "); inst = $0 }
		END { if (id != "") print id, (inst != "" ? inst : pkg) }' "$lang_table")
	if [ "$want_langs" != all ]; then
		for id in ${want_langs//,/ }; do
			grep -q "^- id: $id\$" "$lang_table" || { echo "setup: SEGFAULT_LANGUAGES names $id, which is not in $lang_table" >&2; exit 1; }
		done
	fi
	if [ ${#lang_pkgs[@]} -gt 0 ]; then
		# dpkg-query prints nothing but "install ok installed" packages.
		mapfile -t have_pkgs < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${lang_pkgs[@]}" 2>/dev/null | awk '$1 == "ii" { print $2 }')
		for p in "${lang_pkgs[@]}"; do
			printf '%s\n' "${have_pkgs[@]}" | grep -qx "$p" || need_apt+=("$p")
		done
	fi
fi

if [ ${#need_apt[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "setup: missing packages (${need_apt[*]}); run as root or install them" >&2
		exit 1
	fi
	# dedupe
	mapfile -t pkgs < <(printf '%s\n' "${need_apt[@]}" | sort -u)
	echo "setup: installing ${pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt_get update -q
	apt_get install -y -q --no-install-recommends "${pkgs[@]}"
fi

# The web build (Vite) needs Node.js 20.19+ or 22.12+; Debian 12's own
# nodejs is 18, which would fail later with a less helpful message.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) || (a === 20 && b >= 19) ? 0 : 1)'; then
	echo "setup: Node.js $(node --version) is too old for the web build: install Node.js 20.19+ or 22.12+ (e.g. from NodeSource)" >&2
	exit 1
fi

# npm toolchains of the language table (TypeScript's compiler and the
# Node.js type declarations): installed from the lock file, again only when
# it changed.
for name in "${need_npm[@]}"; do
	src=scripts/$name dst=/opt/segfault/$name
	if cmp -s "$src/package-lock.json" "$dst/package-lock.json" && [ -d "$dst/node_modules" ]; then
		continue
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "setup: $dst is missing or stale; run as root to install it" >&2
		exit 1
	fi
	echo "setup: installing $dst (npm ci)"
	mkdir -p "$dst"
	cp "$src/package.json" "$src/package-lock.json" "$dst/"
	(cd "$dst" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
done

# Go: the module needs the toolchain named in go.mod. An older distribution Go
# downloads it through the Go module proxy (GOTOOLCHAIN=auto, the default).
export PATH="/usr/local/go/bin:$PATH"
if ! go version >/dev/null 2>&1; then
	echo "setup: no working go command" >&2
	exit 1
fi
go mod download
