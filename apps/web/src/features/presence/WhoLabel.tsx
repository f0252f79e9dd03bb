import { useTranslation } from 'react-i18next'
import { type PresenceIdentity, presenceParts, WHO_SEPARATOR } from './who.ts'
import './who.css'

/**
 * The visible label of someone in a live editor: their name (cut short first on a narrow screen),
 * then their delegation or role. Its text is `presenceLabel`'s, for tooltips and screen readers.
 */
export const WhoLabel = ({ who }: { who: PresenceIdentity }) => {
  const { t } = useTranslation()
  const { name, what } = presenceParts(who, t)
  return (
    <>
      {name ? <span className="who-name">{name}</span> : null}
      {name && what ? WHO_SEPARATOR : null}
      {what}
    </>
  )
}
