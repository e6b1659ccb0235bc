// Node's child_process.fork() round trip, one message in flight: the unpinned latency that
// PoolRoundTripBenchmark.roundTrip is compared with (docs/BENCHMARKS.md). Prints p50 / p99 in µs
// over ROUNDS round trips after WARMUP untimed ones.
//   node benchmarks/node/fork_echo.js [rounds]
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.on('message', (m) => process.send(m));
} else {
  const ROUNDS = Number(process.argv[2] || 100000);
  const WARMUP = 20000;
  const child = fork(__filename, ['child']);
  const samples = new Float64Array(ROUNDS);
  let i = -WARMUP;
  let start = 0n;
  const next = () => {
    start = process.hrtime.bigint();
    child.send(i);
  };
  child.on('message', (m) => {
    if (m !== i) throw new Error(`echo ${m} for ${i}`);
    if (i >= 0) samples[i] = Number(process.hrtime.bigint() - start) / 1000;
    if (++i === ROUNDS) {
      samples.sort();
      const at = (q) => samples[Math.min(ROUNDS - 1, Math.floor(q * ROUNDS))].toFixed(1);
      console.log(`node fork round trip: p50 ${at(0.5)} us, p99 ${at(0.99)} us, ${ROUNDS} samples`);
      child.disconnect();
      return;
    }
    next();
  });
  next();
}
