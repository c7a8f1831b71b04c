# Sourced by the benchmark scripts: signing in to the service they start.
# That service gets one admin user, bench:bench ({noop}: no password hashing, so sign-in costs nothing the
# figures would include) and a scrape token; curl signs in through a .curlrc of the script's own, and wrk
# through the header BENCH_AUTH_HEADER (exported for Lua scripts as BENCH_AUTH).
BENCH_APP_ARGS=("--workforce.security.users[0].username=bench" "--workforce.security.users[0].password={noop}bench"
                "--workforce.security.users[0].roles=admin" "--workforce.security.scrape-token=bench-scrape-token")
BENCH_AUTH_HEADER="Authorization: Basic $(printf %s bench:bench | base64 -w0)"
export BENCH_AUTH="Basic $(printf %s bench:bench | base64 -w0)"

# bench_curlrc DIR: every curl of this script signs in as bench (DIR is the script's temporary folder).
bench_curlrc() {
    printf 'user = "bench:bench"\n' >"$1/.curlrc"
    export CURL_HOME="$1"
}
