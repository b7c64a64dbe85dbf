// One load run of bench:portal, in a process of its own so the load generator does not share the server's event
// loop (autocannon runs its own worker mode inside worker threads, so a child process it is).
import autocannon from 'autocannon';

const { url, connections, duration, connectionRate, clients } = JSON.parse(process.argv[2]);
/** client i's requests: its own paths, with its own session cookie (if it has one) */
const requestsOf = ({ paths, cookie }) =>
  paths.map((path) => ({ method: 'GET', path, ...(cookie ? { headers: { cookie } } : {}) }));
let next = 0;
const result = await new Promise((resolve, reject) =>
  autocannon(
    {
      url,
      connections,
      duration,
      ...(connectionRate ? { connectionRate } : {}),
      requests: requestsOf(clients[0]),
      // Each connection is one party for the whole run: connection i sends clients[i % clients.length]'s requests
      // (its own paths with its own session cookie). Set on the connection (setupClient), not per request: autocannon
      // resets a request's context each time it starts over its list, so a cookie chosen in setupRequest would move
      // to another session on every pass.
      setupClient: (client) => client.setRequests(requestsOf(clients[next++ % clients.length])),
    },
    (error, result) => (error ? reject(error) : resolve(result)),
  ),
);
process.send({
  p50: result.latency.p50,
  p99: result.latency.p99,
  rps: result.requests.average,
  ok: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  statusCodes: result.statusCodeStats,
});
process.disconnect();
