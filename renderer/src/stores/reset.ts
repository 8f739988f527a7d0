/** Feature stores register here; locking the vault clears them all (no content survives a lock). */
const resets = new Set<() => void>();

export function registerReset(reset: () => void): void {
  resets.add(reset);
}

export function resetAll(): void {
  for (const reset of resets) {
    reset();
  }
}
