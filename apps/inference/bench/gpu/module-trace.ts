// Preload for pack-bundle.sh (NODE_OPTIONS="-r @swc-node/register -r …/module-trace.ts"): at exit,
// writes the files this process loaded from node_modules to $MODULE_TRACE_DIR/<pid>.txt, so the
// bundle for an offline GPU host carries exactly the packages the bench and the service load.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env['MODULE_TRACE_DIR'];
if (dir)
  process.on('exit', () => {
    const files = Object.keys(require.cache).filter((file) => file.includes('/node_modules/'));
    writeFileSync(join(dir, `${process.pid}.txt`), files.join('\n'));
  });
