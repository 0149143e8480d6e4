-- POST /api/v2/chat as the frontend sends it: JSON body, the CSRF header, the session cookie (from
-- BENCH_COOKIE; the bare proxy and the upstream ignore it), and a bearer token that only the direct
-- run needs (both proxies replace it). Every target gets byte-for-byte the same request.
wrk.method = "POST"
wrk.body = '{"messages":[{"role":"user","content":"hello there"}],"model":"bench-1","stream":false}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRF"] = "1"
wrk.headers["Authorization"] = "Bearer bench-direct-token"
local cookie = os.getenv("BENCH_COOKIE")
if cookie ~= nil and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
