// The workspace secret key lives in sessionStorage only: it survives a reload of this tab and is
// gone when the tab closes. It is never written to localStorage, a cookie or a URL.
const KEY = 'beckon.admin.secretKey';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the key then lives in memory for this page only
  }
}

let memoryKey: string | null = null;

export function getSecretKey(): string | null {
  return storage()?.getItem(KEY) ?? memoryKey;
}

export function setSecretKey(key: string): void {
  memoryKey = key;
  storage()?.setItem(KEY, key);
}

export function clearSecretKey(): void {
  memoryKey = null;
  storage()?.removeItem(KEY);
}
