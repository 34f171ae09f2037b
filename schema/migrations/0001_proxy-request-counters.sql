CREATE TABLE `proxy_request_counters` (
	`account_id` text NOT NULL,
	`day` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`account_id`, `day`)
);
