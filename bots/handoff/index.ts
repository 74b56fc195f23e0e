// Live handoff to a person in Slack: the desk (open, relay, close), its ports and the pure parts.
export { announcementView, ANNOUNCED_MESSAGES } from './announcement.js';
export { readAs, transcriptView, type TranscriptView } from './transcript.js';
export { isWithinHours, ZBusinessHours, type BusinessHours, type HoursWindow } from './hours.js';
export { HandoffDesk, type AgentReplyOutcome, type HandoffDeskOptions, type NoticeText } from './desk.js';
export {
  ZRelayMessage,
  type AnnouncementView,
  type CustomerStreams,
  type HandoffTranscript,
  type PersonalDataView,
  type TranscriptEntry,
  type HandoffRecord,
  type HandoffRepository,
  type HandoffSlack,
  type HandoffStatus,
  type RelayBus,
  type RelayDirection,
  type RelayMessage,
} from './ports.js';
export { queueLine, slackThreadLink, statsLine, waitingTime } from './queue.js';
