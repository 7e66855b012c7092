import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration } from "#app/domain/recording-labels";

describe("recording labels", () => {
  it("formats durations as m:ss or h:mm:ss", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(75.4)).toBe("1:15");
    expect(formatDuration(3725)).toBe("1:02:05");
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(-1)).toBe("—");
  });
  it("formats sizes in decimal units", () => {
    expect(formatBytes(812)).toBe("812 bytes");
    expect(formatBytes(14_200)).toBe("14.2 KB");
    expect(formatBytes(230_500_000)).toBe("230.5 MB");
    expect(formatBytes(1_200_000_000)).toBe("1.2 GB");
  });
});
