# Twice a week, on Monday and Thursday.
resource "jetbackup_schedule" "twice_a_week" {
  name         = "Monday and Thursday"
  type         = "daily"
  days_of_week = ["monday", "thursday"]
}

# On the 1st and the 15th of every month.
resource "jetbackup_schedule" "twice_a_month" {
  name          = "1st and 15th"
  type          = "monthly"
  days_of_month = [1, 15]
}

# 30 minutes after another backup job finishes.
resource "jetbackup_schedule" "after_accounts" {
  name         = "After the accounts job"
  type         = "after_job"
  after_job_id = "6504c79fd4b57d536c05bbe2"
  delay_amount = 30
  delay_unit   = "minutes"
}
