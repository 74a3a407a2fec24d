/**
 * Counts the event loop's turns with a chain of immediates (one step per turn, as I/O that arrives
 * meanwhile gets one), so a test can tell whether two pieces of work ran in the same turn.
 */
export function countLoopTurns(): { readonly turn: number; stop(): void } {
  let turn = 0;
  let counting = true;
  const count = () => {
    turn += 1;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  return {
    get turn() {
      return turn;
    },
    stop: () => void (counting = false),
  };
}
