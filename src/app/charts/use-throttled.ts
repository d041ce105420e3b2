// Renders a fast-changing value at most once per interval (the latest value always arrives): keeps the
// charts smooth while metrics stream in, however fast the worker steps. The update is a React transition,
// so drawing the charts yields to clicks and typing instead of holding the main thread.
import { startTransition, useEffect, useRef, useState } from 'react';

export function useThrottledValue<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const lastUpdate = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = Math.max(0, lastUpdate.current + intervalMs - Date.now());
    const timer = setTimeout(() => {
      lastUpdate.current = Date.now();
      startTransition(() => setShown(value));
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs]);
  return shown;
}
