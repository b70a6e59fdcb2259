import { expect, test } from 'vitest';
import { visibleUpdatePrompt } from '@/features/pwa/update-prompt';

test('nothing is shown while the app is current', () => {
  expect(visibleUpdatePrompt('current', null)).toBeNull();
  expect(visibleUpdatePrompt('current', 'block-1')).toBeNull();
});

test('a waiting update is offered when no block is running', () => {
  expect(visibleUpdatePrompt('available', null)).toBe('available');
});

test('a waiting update is held back during a block and offered once it ends', () => {
  expect(visibleUpdatePrompt('available', 'block-1')).toBeNull();
  expect(visibleUpdatePrompt('available', null)).toBe('available');
});

test('an update applied in another tab is announced only outside a block', () => {
  expect(visibleUpdatePrompt('applied-elsewhere', 'block-1')).toBeNull();
  expect(visibleUpdatePrompt('applied-elsewhere', null)).toBe('applied-elsewhere');
});

test('an update the user is applying keeps its banner', () => {
  expect(visibleUpdatePrompt('applying', null)).toBe('applying');
});
