CREATE TABLE `counter_districts` (
	`counter` text PRIMARY KEY NOT NULL,
	`first_counted_at` text NOT NULL
);
