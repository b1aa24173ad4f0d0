CREATE TABLE `assignment_notices` (
	`assignment_id` integer PRIMARY KEY NOT NULL,
	`department` text NOT NULL,
	`notice_event_id` integer NOT NULL,
	`notice_type` text NOT NULL,
	`notice_at` text NOT NULL,
	`read_event_id` integer DEFAULT 0 NOT NULL,
	`unread` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignment_notices_department_unread_idx` ON `assignment_notices` (`department`,`unread`,`assignment_id`);--> statement-breakpoint
CREATE INDEX `audit_events_plan_measure_idx` ON `audit_events` (`plan_id`,`measure_number`,`id`);--> statement-breakpoint
-- What is addressed to a department on its assignment becomes its unread notice, in the transaction of the event:
-- the coordinator's actions, and comments or changes by anyone outside the department. The department is the
-- assignment's as it is after the change (a reassignment notifies the new department). Events recorded before this
-- migration make no notice.
CREATE TRIGGER `assignment_notices_on_event` AFTER INSERT ON `audit_events`
	WHEN NEW.`assignment_id` IS NOT NULL AND NEW.`type` IN (
		'assignment.reminded', 'assignment.returned', 'assignment.extension_approved', 'assignment.extension_refused',
		'assignment.reaffirmed', 'assignment.reassigned', 'assignment.withdrawn', 'assignment.deadline_changed',
		'assignment.role_changed', 'assignment.lead_reopened', 'assignment.commented', 'assignment.issued')
BEGIN
	INSERT INTO `assignment_notices` (`assignment_id`, `department`, `notice_event_id`, `notice_type`, `notice_at`, `read_event_id`, `unread`)
		SELECT a.`id`, a.`department`, NEW.`id`, NEW.`type`, NEW.`at`, 0, 1 FROM `assignments` a
		WHERE a.`id` = NEW.`assignment_id`
			AND (NEW.`actor_role` = 'coordinator' OR NEW.`actor_department` IS NOT a.`department`)
			-- The first issue is work, not a notice: the inbox shows it as to acknowledge. Work added later is one.
			AND (NEW.`type` <> 'assignment.issued' OR json_extract(NEW.`payload`, '$.added') = 1)
		ON CONFLICT (`assignment_id`) DO UPDATE SET `department` = excluded.`department`, `notice_event_id` = excluded.`notice_event_id`,
			`notice_type` = excluded.`notice_type`, `notice_at` = excluded.`notice_at`, `unread` = 1;
END;
