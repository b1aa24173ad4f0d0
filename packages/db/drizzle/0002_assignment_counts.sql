CREATE TABLE `assignment_counts` (
	`department` text NOT NULL,
	`plan_id` integer NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`department`, `plan_id`, `status`)
);
--> statement-breakpoint
CREATE INDEX `assignments_department_status_due_idx` ON `assignments` (`department`,`status`,`due_date`,`id`);--> statement-breakpoint
-- The counts follow every insert, move (department or plan) and status change of an assignment, in its transaction.
-- Four rows per assignment: its department in its plan, its department over all plans (0), every department ("*")
-- in its plan, every department over all plans.
CREATE TRIGGER `assignment_counts_insert` AFTER INSERT ON `assignments` BEGIN
	INSERT INTO `assignment_counts` (`department`, `plan_id`, `status`, `n`)
		VALUES (NEW.`department`, NEW.`plan_id`, NEW.`status`, 1), (NEW.`department`, 0, NEW.`status`, 1),
			('*', NEW.`plan_id`, NEW.`status`, 1), ('*', 0, NEW.`status`, 1)
		ON CONFLICT (`department`, `plan_id`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `assignment_counts_delete` AFTER DELETE ON `assignments` BEGIN
	UPDATE `assignment_counts` SET `n` = `n` - 1
		WHERE `status` = OLD.`status` AND `department` IN (OLD.`department`, '*') AND `plan_id` IN (OLD.`plan_id`, 0);
END;
--> statement-breakpoint
CREATE TRIGGER `assignment_counts_update` AFTER UPDATE OF `department`, `plan_id`, `status` ON `assignments`
	WHEN OLD.`department` IS NOT NEW.`department` OR OLD.`plan_id` IS NOT NEW.`plan_id` OR OLD.`status` IS NOT NEW.`status`
BEGIN
	UPDATE `assignment_counts` SET `n` = `n` - 1
		WHERE `status` = OLD.`status` AND `department` IN (OLD.`department`, '*') AND `plan_id` IN (OLD.`plan_id`, 0);
	INSERT INTO `assignment_counts` (`department`, `plan_id`, `status`, `n`)
		VALUES (NEW.`department`, NEW.`plan_id`, NEW.`status`, 1), (NEW.`department`, 0, NEW.`status`, 1),
			('*', NEW.`plan_id`, NEW.`status`, 1), ('*', 0, NEW.`status`, 1)
		ON CONFLICT (`department`, `plan_id`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
-- The counts of the assignments already there.
INSERT INTO `assignment_counts` (`department`, `plan_id`, `status`, `n`)
	SELECT `department`, `plan_id`, `status`, count(*) FROM `assignments` GROUP BY `department`, `plan_id`, `status`
	UNION ALL SELECT `department`, 0, `status`, count(*) FROM `assignments` GROUP BY `department`, `status`
	UNION ALL SELECT '*', `plan_id`, `status`, count(*) FROM `assignments` GROUP BY `plan_id`, `status`
	UNION ALL SELECT '*', 0, `status`, count(*) FROM `assignments` GROUP BY `status`;
