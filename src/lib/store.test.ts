import { expect, test } from 'vitest';
import { createSignal, createStore } from './store';

test('a store wakes its listeners only when the value changes, and stops after unsubscribe', () => {
  const store = createStore<string | null>(null);
  let calls = 0;
  const off = store.subscribe(() => calls++);
  store.set('a');
  store.set('a');
  expect(store.get()).toBe('a');
  expect(calls).toBe(1);
  off();
  store.set('b');
  expect(calls).toBe(1);
  expect(store.get()).toBe('b');
});

test('a signal wakes every listener; one removed by another while they run is skipped from then on', () => {
  const signal = createSignal();
  const seen: string[] = [];
  let offSecond = () => {};
  signal.subscribe(() => {
    seen.push('first');
    offSecond();
  });
  offSecond = signal.subscribe(() => seen.push('second'));
  signal.notify();
  signal.notify();
  expect(seen).toEqual(['first', 'first']);
});
