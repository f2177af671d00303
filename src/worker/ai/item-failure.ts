import type { AiItemFailure } from './provider';

/**
 * The answer for this item was missing or unusable. Asking again may well work, so the item
 * is retryable; it fails alone and the rest of its batch keeps its answers.
 */
export function malformedItem(id: string, message: string, raw?: string): AiItemFailure {
  const error = { name: 'AiItemError', code: 'handler-error', message, retryable: true } as const;
  return raw === undefined ? { id, ok: false, error } : { id, ok: false, error, raw };
}

/**
 * This item cannot succeed as it is (empty recipe text, unknown prompt version, the model
 * says the text is not a recipe). Named `PermanentJobError` so the runner rebuilds the class
 * from the stored data and does not retry.
 */
export function refusedItem(id: string, message: string, raw?: string): AiItemFailure {
  const error = { name: 'PermanentJobError', code: 'permanent', message, retryable: false } as const;
  return raw === undefined ? { id, ok: false, error } : { id, ok: false, error, raw };
}
