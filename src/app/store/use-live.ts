// Reads a fast-changing part of the store for a view that only needs to keep up, not to be exact at every
// message: at most once per interval, as a React transition (so drawing yields to input), and only while the
// view is shown (the subscription lives in an effect, and a tab hidden by React's Activity has none).
// Plain useStore subscribes through useSyncExternalStore: each worker message then re-renders its readers
// at once, and a message arriving mid-render makes React redo that render blocking.
import { startTransition, useEffect, useState } from 'react';
import { useStore, type PlaygroundState } from '../store.ts';

/** `select` must be stable (a module-level function): it is read once per subscription. */
export function useLiveValue<T>(select: (s: PlaygroundState) => T, intervalMs: number): T {
  const [value, setValue] = useState(() => select(useStore.getState()));
  useEffect(() => {
    let latest = select(useStore.getState());
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const push = () => {
      timer = null;
      last = Date.now();
      const shown = latest;
      startTransition(() => setValue(shown));
    };
    push(); // catch up when the view is shown again
    const unsubscribe = useStore.subscribe((s) => {
      const next = select(s);
      if (Object.is(next, latest)) return;
      latest = next;
      if (timer === null) timer = setTimeout(push, Math.max(0, last + intervalMs - Date.now()));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [select, intervalMs]);
  return value;
}
