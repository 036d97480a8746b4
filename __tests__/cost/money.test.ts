import { formatDelta, formatMoney, formatRange, roundCents } from "../../src/features/cost";

describe("money", () => {
  test("formats as $1,234.56", () => {
    expect(formatMoney(1234.56)).toBe("$1,234.56");
    expect(formatMoney(1234567.891)).toBe("$1,234,567.89");
    expect(formatMoney(0)).toBe("$0.00");
    expect(formatMoney(5.7)).toBe("$5.70");
    expect(formatMoney(-3.26)).toBe("-$3.26");
    expect(formatMoney(-0.001)).toBe("$0.00");
  });

  test("rounds the double to the nearest cent, like Fly's pricing page", () => {
    expect(roundCents(0.695 + 0.25 * 5)).toBe(1.94);
    expect(roundCents(0.695 + 0.5 * 5)).toBe(3.19);
    expect(roundCents(0.695 + 1 * 5)).toBe(5.7);
    expect(roundCents(0.695 + 2 * 5)).toBe(10.7);
    expect(roundCents(-0.004)).toBe(0);
    expect(Object.is(roundCents(-0.004), -0)).toBe(false);
    expect(() => roundCents(Number.NaN)).toThrow(RangeError);
  });

  test("ranges and deltas", () => {
    expect(formatRange(0, 3.195)).toBe("$0.00 – $3.19");
    expect(formatRange(3.19, 3.1900001)).toBe("$3.19");
    expect(formatDelta(3.26)).toBe("+$3.26");
    expect(formatDelta(-1)).toBe("-$1.00");
    expect(formatDelta(0.001)).toBe("±$0.00");
  });
});
