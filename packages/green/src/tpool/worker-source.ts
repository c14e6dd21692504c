/**
 * The source of a tpool worker, run with `new Worker(source, { eval: true })`
 * so one text serves the ESM and the CJS build (no path to resolve). It
 * loads modules with `import()` and compiles function sources once each.
 */
export const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const modules = new Map();
const compiled = new Map();

// Node 20 runs no --import preloads in workers (22+ does): load them (tsx...) here, so
// a worker imports the same kinds of modules as its parent.
// tsx's --import entry skips worker threads (it counts on Node carrying its hooks over, as
// 22+ does), so on 20 register it through its API.
const ready = (async () => {
  for (const spec of workerData.preload) {
    if (spec === 'tsx' || spec === 'tsx/esm') (await import('tsx/esm/api')).register();
    else await import(spec.startsWith('.') || spec.startsWith('/') ? pathToFileURL(spec).href : spec);
  }
})();

function load(url) {
  let p = modules.get(url);
  if (p === undefined) {
    p = import(url);
    modules.set(url, p);
    p.catch(() => modules.delete(url));
  }
  return p;
}

function describe(error) {
  if (error instanceof Error) {
    const out = { name: error.name, message: error.message, stack: error.stack, code: error.code };
    return out;
  }
  return { name: 'Error', message: 'a non-Error was thrown: ' + String(error), stack: undefined, code: undefined };
}

parentPort.on('message', async (job) => {
  try {
    await ready;
    let fn;
    if (job.url !== undefined) {
      const mod = await load(job.url);
      fn = mod[job.name];
      if (typeof fn !== 'function' && mod.default && typeof mod.default[job.name] === 'function') fn = mod.default[job.name];
      if (typeof fn !== 'function') {
        throw new TypeError('tpool.execute: ' + job.url + ' has no exported function ' + JSON.stringify(job.name) + ' (found ' + typeof fn + ')');
      }
    } else {
      fn = compiled.get(job.source);
      if (fn === undefined) {
        fn = (0, eval)('(' + job.source + ')');
        compiled.set(job.source, fn);
      }
    }
    const value = await fn(...job.args);
    parentPort.postMessage({ id: job.id, ok: true, value });
  } catch (error) {
    parentPort.postMessage({ id: job.id, ok: false, error: describe(error) });
  }
});
`;
