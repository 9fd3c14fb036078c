// Loaded with NODE_OPTIONS=--import by BENCH_GATEWAY_CPU_PROFILE (Node 20 refuses --cpu-prof
// in NODE_OPTIONS): profiles the whole process with the inspector and writes
// CPU.<pid>.cpuprofile into CPU_PROFILE_DIR when SIGTERM arrives, before the
// server's own SIGTERM handler closes it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const folder = process.env.CPU_PROFILE_DIR;
if (folder === undefined) throw new Error('CPU_PROFILE_DIR is required');
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.start');
process.prependOnceListener('SIGTERM', () => {
  // A same-thread inspector session answers synchronously, so the file is written before exit.
  session.post('Profiler.stop', (err, result) => {
    if (err === null)
      writeFileSync(join(folder, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
