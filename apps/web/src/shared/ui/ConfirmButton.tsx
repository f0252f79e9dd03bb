import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * A destructive action asked twice: the first press shows the question with Confirm and
 * Cancel, and moves focus to Confirm so a keyboard user answers it at once.
 */
export const ConfirmButton = ({
  label,
  question,
  onConfirm,
  disabled,
  danger = true,
}: {
  label: string
  question: string
  onConfirm: () => void | Promise<void>
  disabled?: boolean
  /** Removing and revoking are shown as dangerous; a role change is not. */
  danger?: boolean
}) => {
  const { t } = useTranslation()
  const [asking, setAsking] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  const openRef = useRef<HTMLButtonElement>(null)
  const wasAsking = useRef(false)
  useEffect(() => {
    if (asking) confirmRef.current?.focus()
    else if (wasAsking.current) openRef.current?.focus()
    wasAsking.current = asking
  }, [asking])
  if (!asking)
    return (
      <button
        ref={openRef}
        type="button"
        className={danger ? 'danger' : undefined}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    )
  return (
    // Escape answers "no", as it does in a dialog.
    // biome-ignore lint/a11y/useSemanticElements: a group of two buttons around one question
    <span
      className="confirm"
      role="group"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return
        e.preventDefault()
        e.stopPropagation()
        setAsking(false)
      }}
    >
      <span className="confirm-question">{question}</span>
      <button
        ref={confirmRef}
        type="button"
        className={danger ? 'danger' : 'primary'}
        onClick={async () => {
          await onConfirm()
          setAsking(false)
        }}
      >
        {t('common.confirm')}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  )
}
