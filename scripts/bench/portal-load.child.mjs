// One load run of bench:portal, in a process of its own so the load generator does not share the server's event
// loop (autocannon runs its own worker mode inside worker threads, so a child process it is).
import autocannon from 'autocannon';

const { url, connections, duration, connectionRate, paths, cookies } = JSON.parse(process.argv[2]);
let next = 0;
const result = await new Promise((resolve, reject) =>
  autocannon(
    {
      url,
      connections,
      duration,
      ...(connectionRate ? { connectionRate } : {}),
      // Each connection is one party: its own session cookie on every request it sends.
      requests: paths.map((path) => ({
        method: 'GET',
        path,
        setupRequest: (request, context) => {
          if (!cookies.length) return request;
          context.cookie ??= cookies[next++ % cookies.length];
          return { ...request, headers: { ...request.headers, cookie: context.cookie } };
        },
      })),
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
