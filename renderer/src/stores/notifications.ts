/** The one error sink: failed calls become notifications, translated when rendered. */
import { create } from 'zustand';
import type { ErrorCode } from '../../../shared/errors';
import type { ErrorInfo } from '../../../shared/result';

export interface Notification {
  id: number;
  code: ErrorCode;
}

interface NotificationsState {
  items: Notification[];
  pushError: (error: ErrorInfo) => void;
  dismiss: (id: number) => void;
  clear: () => void;
}

let nextId = 1;

export const useNotifications = create<NotificationsState>((set) => ({
  items: [],
  pushError: (error) =>
    set((state) => ({ items: [...state.items.slice(-4), { id: nextId++, code: error.code }] })),
  dismiss: (id) => set((state) => ({ items: state.items.filter((n) => n.id !== id) })),
  clear: () => set({ items: [] }),
}));
