#!/bin/sh
# unikraft-sources.sh - the exact source trees scripts/build-unikraft.sh builds the Redis
# unikernel from, exported at pinned references (see docs/unikraft.md).
#
# Usage: scripts/unikraft-sources.sh OUT [GIT_ROOT]
#   OUT       folder to create the trees in (OUT/unikraft, OUT/lib-musl, ...)
#   GIT_ROOT  where the git repositories already are, either as clones GIT_ROOT/NAME (e.g.
#             GIT_ROOT/lib-redis) or as bare mirrors GIT_ROOT/OWNER+NAME/repo; without it every
#             repository is cloned from github.com (needs the internet).
# Each tree gets a file .edgevirt-source: "OWNER/NAME REF COMMIT", which build-unikraft.sh copies
# into the image's build record. Exit 2 on bad usage, 1 when a repository or reference is missing.
set -eu
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") usage >&2; exit 2 ;; esac
OUT=$1; ROOT=${2:-}
[ -z "$ROOT" ] || [ -d "$ROOT" ] || { echo "unikraft-sources.sh: $ROOT: no such folder" >&2; exit 2; }
command -v git >/dev/null || { echo "unikraft-sources.sh: git is not installed (apt-get install git)" >&2; exit 1; }
mkdir -p "$OUT"
TMPC=""
trap '[ -z "$TMPC" ] || rm -rf "$TMPC"' EXIT

# NAME OWNER/REPO REF: the versions Unikraft 0.16.2 builds with (the core and lib-lwip at the same
# release tag; lib-redis has no 0.16.2 tag, its 0.16.0 builds with it; musl, lwIP and Redis at
# the versions the libraries' Makefile.uk name: LIBMUSL_VERSION 1.2.3, LIBLWIP_BRANCH
# UNIKRAFT-2_1_x, LIBREDIS_VERSION 7.0.11).
REPOS="unikraft unikraft/unikraft RELEASE-0.16.2
lib-musl unikraft/lib-musl RELEASE-0.16.2
lib-lwip unikraft/lib-lwip RELEASE-0.16.2
lib-redis unikraft/lib-redis RELEASE-0.16.0
musl bminor/musl v1.2.3
fork-lwip unikraft/fork-lwip UNIKRAFT-2_1_x
redis redis/redis 7.0.11"

echo "$REPOS" | while read -r name repo ref; do
    gd=""
    if [ -n "$ROOT" ]; then
        owner=${repo%%/*}; base=${repo#*/}
        for c in "$ROOT/$owner+$base/repo" "$ROOT/$base/.git" "$ROOT/$base"; do
            if git --git-dir="$c" rev-parse --git-dir >/dev/null 2>&1; then gd=$c; break; fi
        done
        [ -n "$gd" ] || { echo "unikraft-sources.sh: no git repository for $repo under $ROOT" >&2; exit 1; }
    else
        TMPC=${TMPC:-$(mktemp -d)}
        git clone -q --bare "https://github.com/$repo" "$TMPC/$name.git" ||
            { echo "unikraft-sources.sh: cannot clone https://github.com/$repo" >&2; exit 1; }
        gd="$TMPC/$name.git"
    fi
    commit=$(git --git-dir="$gd" rev-parse --verify -q "$ref^{commit}") ||
        { echo "unikraft-sources.sh: $repo has no reference $ref" >&2; exit 1; }
    rm -rf "${OUT:?}/$name"; mkdir -p "$OUT/$name"
    git --git-dir="$gd" archive "$commit" | tar -x -C "$OUT/$name"
    echo "$repo $ref $commit" >"$OUT/$name/.edgevirt-source"
    echo "$name: $repo $ref $commit"
done
