import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'

/** A read-only link with a copy button; the field is selectable for browsers without a clipboard. */
export const CopyField = ({ label, value }: { label: string; value: string }) => {
  const { t } = useTranslation()
  const id = useId()
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied(true)
    } catch {
      const input = document.getElementById(id) as HTMLInputElement | null
      input?.select()
    }
  }
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()} aria-describedby={`${id}-status`}>
          {t('copy.copy')}
        </button>
      </div>
      <span id={`${id}-status`} role="status" className="hint">
        {copied ? t('copy.copied') : ''}
      </span>
    </div>
  )
}
