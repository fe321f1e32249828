import type { Random } from './random.ts';

// Helpdesk prose for the data set. Sentences are built from templates whose slots come from lists of
// very different sizes, so word frequencies are skewed the way real tickets are: a few words ("error",
// "since", "please") are everywhere, product names are common, error codes and asset tags are rare.
// That skew is what full-text search plans depend on (a common word matches thousands of tickets of
// an organization, an error code a handful).

const SYSTEMS = [
  'printer',
  'laptop',
  'VPN client',
  'mailbox',
  'calendar',
  'shared drive',
  'Wi-Fi',
  'phone',
  'monitor',
  'docking station',
  'ERP',
  'CRM',
  'payroll system',
  'invoice export',
  'time tracking',
  'intranet',
  'file server',
  'backup job',
  'scanner',
  'projector',
  'headset',
  'keyboard',
  'webcam',
  'password manager',
  'single sign-on',
  'database report',
  'warehouse scanner',
  'point of sale terminal',
  'label printer',
  'video conference room',
  'mobile app',
  'customer portal',
  'accounting ledger',
  'expense report',
  'HR portal',
  'build server',
  'firewall',
  'router',
  'SharePoint site',
  'spreadsheet macro',
] as const;

const PROBLEMS = [
  'stopped working',
  'is very slow',
  'shows an error',
  'keeps disconnecting',
  'does not start',
  'crashes on startup',
  'asks for the password again and again',
  'cannot connect',
  'prints blank pages',
  'freezes after a few minutes',
  'lost all settings',
  'rejects my login',
  'sends duplicate messages',
  'shows the wrong totals',
  'times out',
  'is missing data from yesterday',
  'cannot be reached from home',
  'makes a loud noise',
  'displays garbled characters',
  'refuses the new certificate',
  'does not sync',
  'runs out of space',
] as const;

const PLACES = [
  'in the Berlin office',
  'on the third floor',
  'in meeting room 2',
  'at the front desk',
  'in the warehouse',
  'for the whole sales team',
  'on my home network',
  'in the accounting department',
  'for two new colleagues',
  'at the Lyon branch',
  'in the lab',
  'for everyone in support',
  'on the night shift',
  'in the reception area',
] as const;

const SINCES = [
  'since this morning',
  'since yesterday afternoon',
  'since the update last night',
  'since Monday',
  'after the password change',
  'after the move to the new building',
  'since the last Windows update',
  'for about a week',
  'intermittently for a month',
  'since we replaced the router',
] as const;

const IMPACTS = [
  'We cannot send invoices to customers until this is fixed.',
  'This blocks the month-end closing.',
  'Around twenty people are affected.',
  'Only my account seems to be affected.',
  'The team is working around it with paper forms for now.',
  'It is not urgent but quite annoying.',
  'Customers are calling because they cannot reach us.',
  'Our auditors need the report by Friday.',
  'The shipment labels cannot be printed, so orders are piling up.',
  'Please treat this with priority, a demo is scheduled for tomorrow.',
] as const;

const TRIED = [
  'I already restarted the device twice.',
  'Restarting did not help.',
  'I cleared the browser cache and tried another browser.',
  'A colleague has the same problem on her machine.',
  'Unplugging the cable and plugging it back in did not change anything.',
  'I reinstalled the client from the software center.',
  'The problem also happens on the guest network.',
  'I checked the cables and the power supply.',
  'Logging out and in again fixes it for a few minutes.',
] as const;

const ERROR_PREFIXES = ['E', 'ERR', '0x', 'SQL', 'HTTP', 'NET', 'AUTH', 'PRN'] as const;

const CUSTOMER_REPLIES = [
  'Thank you, I will try that and get back to you.',
  'It happened again just now.',
  'That worked, thanks a lot!',
  'Unfortunately the problem is still there.',
  'I attached a screenshot of the message.',
  'Could someone call me? My number is in my signature.',
  'Any update on this? We are still blocked.',
  'The workaround helps for now, but please keep the ticket open.',
  'I am out of office tomorrow, my colleague will follow up.',
  'Yes, you can connect to my machine remotely this afternoon.',
  'The error message changed after your last step.',
] as const;

const STAFF_REPLIES = [
  'Thanks for the report, we are looking into it.',
  'Could you send us the exact error message and the time it happened?',
  'We pushed a fix, please restart the application and try again.',
  'A technician will come by tomorrow morning.',
  'We reset your account, please sign in again with a new password.',
  'The vendor confirmed a known issue; a patch is expected next week.',
  'Please try again now, the service was restarted.',
  'We replaced the toner cartridge and cleaned the rollers.',
  'Your mailbox quota was raised to 50 GB.',
  'The certificate was renewed on the server side.',
  'We could not reproduce it yet; does it happen with every file?',
] as const;

const INTERNAL_NOTES = [
  'Checked the logs: authentication fails upstream at the identity provider.',
  'Escalated to the network team, waiting for their answer.',
  'Same root cause as last week, disk on the file server is almost full.',
  'Customer is on the old client version, needs the update package.',
  'Spare device ordered, delivery expected Thursday.',
  'Vendor case opened, reference in the CRM.',
  'Looks like a duplicate of the ticket from the Lyon branch.',
  'Remote session done, driver rolled back to the previous version.',
  'Do not close before the customer confirms, they reopened twice already.',
  'SLA at risk, asked the on-call engineer to take over.',
] as const;

const RESOLUTIONS = [
  'Replaced the faulty part.',
  'Reset the user profile and restored the settings from backup.',
  'Renewed the expired certificate.',
  'Applied the vendor patch.',
  'Reconfigured the network settings.',
  'Raised the storage quota.',
  'Reinstalled the client software.',
] as const;

const ROOT_CAUSES = [
  'Hardware wear.',
  'Expired certificate.',
  'Misconfiguration after an update.',
  'Storage quota exceeded.',
  'Known vendor bug.',
  'User error.',
] as const;

const CANCEL_REASONS = [
  'Duplicate of an existing ticket.',
  'Solved by the customer before we started.',
  'Out of scope of the support contract.',
] as const;

export const CATEGORIES = ['Hardware', 'Software', 'Network', 'Access', 'Billing', 'Other'] as const;

/** A rare token such as `E4821` or `0x7F3A`: what makes an exact search hit a handful of tickets. */
export function errorCode(random: Random): string {
  const prefix = random.pick(ERROR_PREFIXES);
  return prefix === '0x'
    ? `0x${random.int(0x10000).toString(16).toUpperCase().padStart(4, '0')}`
    : `${prefix}${random.between(100, 9999)}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A ticket title of 20 to 90 characters. */
export function ticketTitle(random: Random): string {
  const system = random.pick(SYSTEMS);
  switch (random.int(4)) {
    case 0:
      return `${capitalize(system)} ${random.pick(PROBLEMS)}`;
    case 1:
      return `${capitalize(system)} ${random.pick(PROBLEMS)} ${random.pick(PLACES)}`;
    case 2:
      return `Error ${errorCode(random)} in ${system}`;
    default:
      return `${capitalize(system)}: ${random.pick(PROBLEMS)} ${random.pick(SINCES)}`;
  }
}

/**
 * A ticket description of one to three short paragraphs (about 150 to 600 characters). Paragraphs are
 * joined by an escaped newline, ready for COPY's text format.
 */
export function ticketDescription(random: Random): string {
  const system = random.pick(SYSTEMS);
  let text = `Hello, the ${system} ${random.pick(PROBLEMS)} ${random.pick(PLACES)} ${random.pick(SINCES)}.`;
  if (random.chance(0.5)) text += ` The message says "${errorCode(random)}: operation failed".`;
  text += ` ${random.pick(TRIED)}`;
  if (random.chance(0.6)) text += `\\n${random.pick(IMPACTS)}`;
  if (random.chance(0.3))
    text += ` Asset tag ${random.between(10000, 99999)}, user since ${2015 + random.int(10)}.`;
  if (random.chance(0.4)) text += `\\nAlso, the ${random.pick(SYSTEMS)} ${random.pick(PROBLEMS)} as well.`;
  text += '\\nThanks!';
  return text;
}

/** A customer's public reply. */
export function customerReply(random: Random): string {
  const reply = random.pick(CUSTOMER_REPLIES);
  return random.chance(0.3) ? `${reply} ${random.pick(TRIED)}` : reply;
}

/** A staff member's public reply. */
export function staffReply(random: Random): string {
  const reply = random.pick(STAFF_REPLIES);
  return random.chance(0.4) ? `Hello, ${reply.charAt(0).toLowerCase()}${reply.slice(1)} Kind regards` : reply;
}

/** A staff member's internal note. */
export function internalNote(random: Random): string {
  const note = random.pick(INTERNAL_NOTES);
  return random.chance(0.3) ? `${note} Error ${errorCode(random)} in the logs.` : note;
}

export function resolutionText(random: Random): string {
  return random.pick(RESOLUTIONS);
}

export function rootCauseText(random: Random): string {
  return random.pick(ROOT_CAUSES);
}

export function cancelReasonText(random: Random): string {
  return random.pick(CANCEL_REASONS);
}

/**
 * What people type into the search box, by frequency class: common words match a large share of an
 * organization's tickets, product names a few percent, error codes almost nothing. Searching all three
 * classes shows both plan shapes (walk the newest tickets and filter, or look up the GIN index).
 */
export function searchTerm(random: Random): string {
  const roll = random.next();
  if (roll < 0.35) return random.pick(['printer', 'password', 'error', 'slow', 'VPN', 'mailbox', 'login']);
  if (roll < 0.75)
    return random.pick([
      'invoice export',
      'docking station',
      'certificate',
      'payroll',
      'label printer',
      'warehouse scanner',
      'projector meeting room',
      'spreadsheet macro',
      'garbled characters',
      'backup job',
    ]);
  return errorCode(random);
}
