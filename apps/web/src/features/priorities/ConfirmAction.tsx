import { type ReactNode, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * A chair action asked twice: the first press opens the question (with any choice it needs, such
 * as the area to merge into) and moves focus into it; Confirm acts, Cancel or Escape closes it and
 * gives focus back to the button that opened it.
 */
export const ConfirmAction = ({
  label,
  hiddenLabel,
  question,
  confirmLabel,
  onConfirm,
  canConfirm = true,
  children,
}: {
  label: string
  /** Said after the label to screen readers only (which area the button acts on). */
  hiddenLabel?: string
  question: string
  confirmLabel: string
  /** Returns whether it worked; the question stays open after a refusal. */
  onConfirm: () => Promise<boolean>
  canConfirm?: boolean
  children?: ReactNode
}) => {
  const { t } = useTranslation()
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const group = useRef<HTMLDivElement>(null)
  const opener = useRef<HTMLButtonElement>(null)
  const wasAsking = useRef(false)
  // After a confirmed action the caller moves focus (the area may be gone); after a cancel, back here.
  const confirmed = useRef(false)
  useEffect(() => {
    if (asking) group.current?.querySelector<HTMLElement>('select, input, button')?.focus()
    else if (wasAsking.current && !confirmed.current) opener.current?.focus()
    wasAsking.current = asking
    confirmed.current = false
  }, [asking])
  if (!asking)
    return (
      <button ref={opener} type="button" onClick={() => setAsking(true)}>
        {label}
        {hiddenLabel ? <span className="visually-hidden"> {hiddenLabel}</span> : null}
      </button>
    )
  return (
    // biome-ignore lint/a11y/useSemanticElements: a question with its answers inline, not a form section
    <div
      ref={group}
      className="confirm priority-confirm"
      role="group"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation()
          setAsking(false)
        }
      }}
    >
      <span className="confirm-question">{question}</span>
      {children}
      <span className="row">
        <button
          type="button"
          className="danger"
          disabled={busy || !canConfirm}
          onClick={async () => {
            setBusy(true)
            const ok = await onConfirm()
            setBusy(false)
            if (ok) {
              confirmed.current = true
              setAsking(false)
            }
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          {t('common.cancel')}
        </button>
      </span>
    </div>
  )
}
