// Every process-global key of @verdant/hub. `Symbol.for` makes each one the
// same symbol in every copy of this package a process loads (its ESM and CJS
// builds side by side), so they share one hub and `instanceof` holds across them.

/** Where the process's one hub lives on `globalThis`. */
export const HUB = Symbol.for('verdant.hub/1');

// Brands: each class's prototype carries its own, checked by `brandCheck`.
export const GREEN_THREAD = Symbol.for('verdant.hub/GreenThread');
export const GREENLET_EXIT = Symbol.for('verdant.hub/GreenletExit');
export const TIMEOUT = Symbol.for('verdant.hub/Timeout');
export const QUEUE_EMPTY = Symbol.for('verdant.hub/QueueEmpty');
export const QUEUE_FULL = Symbol.for('verdant.hub/QueueFull');

// What a thread yields to the hub's driver.
/** Park: the driver calls the arm `suspend` prepared. */
export const PARK = Symbol.for('verdant.hub/park');
/** `sleep(0)`: back of the run queue. */
export const YIELD = Symbol.for('verdant.hub/yield');
/** `sleep(ms)`: park on a timer, no closure needed. */
export const SLEEP = Symbol.for('verdant.hub/sleep');
