// A test shim standing in for the browser: the conformance suite cannot send extra headers, so this
// forwarder adds the signed-in session Cookie to every request and passes everything else through
// unchanged, with one exception: it publishes the gateway at its own address, as a reverse proxy
// would, so an Origin equal to the forwarder's own origin (a same-origin request, as far as the
// suite can tell) reaches the gateway as the gateway's origin. Any other Origin goes through as sent,
// so the gateway's Origin check is still what refuses a foreign one (the dns-rebinding scenario).
// Responses, event streams included, are piped back as they arrive. Listens on 127.0.0.1 only.
import http from 'node:http';

const target = new URL(process.env.TARGET);
const cookie = process.env.COOKIE;
const port = Number(process.env.PORT ?? 0);

const server = http.createServer((request, response) => {
  const headers = { ...request.headers, host: target.host, cookie };
  if (headers.origin === `http://127.0.0.1:${server.address().port}`) {
    headers.origin = target.origin;
  }
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: request.method, path: request.url, headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
  upstream.on('error', () => { if (!response.headersSent) { response.writeHead(502); } response.end(); });
  response.on('close', () => upstream.destroy());
  request.pipe(upstream);
});

server.listen(port, '127.0.0.1', () => console.log(`FORWARDER READY ${server.address().port}`));
