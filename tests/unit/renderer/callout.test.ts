// 唱收唱付 out loud (issue 13): what the counter says.
import { describe, expect, it } from 'vitest';
import { calloutText, spokenYuan } from '../../../renderer/src/pages/counter/callout';

describe('the spoken call-out', () => {
  it('SRV-1: says 收您 and 找您 in yuan, jiao and fen as a clerk would', () => {
    expect(spokenYuan('100.00')).toBe('100元');
    expect(spokenYuan('3.50')).toBe('3元5角');
    expect(spokenYuan('12.05')).toBe('12元零5分');
    expect(spokenYuan('0.05')).toBe('5分');
    expect(spokenYuan('0.35')).toBe('3角5分');
    expect(spokenYuan('0.00')).toBe('0元');
    expect(spokenYuan('007.10')).toBe('7元1角');
    expect(calloutText('100.00', '3.50')).toBe('收您100元，找您3元5角');
    expect(calloutText('96.50', '0.00')).toBe('收您96元5角，不用找零');
  });
});
