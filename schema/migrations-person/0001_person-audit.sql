CREATE TABLE `person_audit` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor_kind` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`reason` text,
	`detail` text,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `person_audit_target_at` ON `person_audit` (`target`,`at`);--> statement-breakpoint
CREATE INDEX `person_audit_at` ON `person_audit` (`at`);