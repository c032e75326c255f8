/** Test-only engine worker: the real worker entry, with its console forwarded to the page (console-forward.ts). */
import './console-forward';
import '../../src/worker/worker';
