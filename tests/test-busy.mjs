/**
 * `npm run test:busy`: the whole `npm test` with one core kept busy by another process the whole
 * time, to show the suite does not depend on the machine being quiet. Exits with npm test's code.
 */
import { spawn } from 'node:child_process';

// Spins one core; checks now and then that this script is alive, and gives up after 20 minutes,
// so it can never outlive the run.
const spin = `const end = Date.now() + 20 * 60e3;
for (let i = 1; ; i++) {
  if (i % 5e7 === 0) {
    if (Date.now() > end) process.exit();
    try { process.kill(${process.pid}, 0); } catch { process.exit(); }
  }
}`;
const busy = spawn(process.execPath, ['-e', spin], { stdio: 'ignore' });
const started = Date.now();
const test = spawn('npm', ['test'], { stdio: 'inherit' });
test.on('exit', (code, signal) => {
  busy.kill();
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(
    `\nnpm test with one core busy: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s\n`,
  );
  process.exit(code ?? (signal ? 1 : 0));
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => test.kill(sig));
