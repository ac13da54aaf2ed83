import { describe, expect, it } from 'vitest';
import { answerBudgetMs, parseWebhookTimeout } from '../../../shared/admission/index.js';

describe('parseWebhookTimeout', () => {
  it.each([
    ['10s', 10_000],
    ['1s', 1_000],
    ['2.5s', 2_500],
    ['1500ms', 1_500],
    ['1m', 30_000],
    ['0m5s', 5_000],
    [null, 10_000],
    ['', 10_000],
    ['abc', 10_000],
    ['10', 10_000],
    ['-5s', 10_000],
    ['0s', 10_000],
    ['5s; drop table', 10_000],
  ])('%s → %d ms', (value, expected) => {
    expect(parseWebhookTimeout(value)).toBe(expected);
  });
});

describe('answerBudgetMs', () => {
  it.each([
    [10_000, 1_500, undefined, 8_500],
    [1_000, 1_500, undefined, 100],
    [1_000, 1_500, 250, 250],
  ])('timeout %d, margin %d, minimum %s → %d', (timeout, margin, minimum, expected) => {
    expect(answerBudgetMs(timeout, { safetyMarginMs: margin, ...(minimum === undefined ? {} : { minimumMs: minimum }) })).toBe(expected);
  });
});
