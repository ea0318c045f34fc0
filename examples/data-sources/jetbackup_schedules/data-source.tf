# Every daily schedule on the server, e.g. to attach them all to a job or
# to adopt them (their IDs are what `terraform import` takes).
data "jetbackup_schedules" "daily" {
  type = "daily"
}

output "daily_schedule_ids" {
  value = data.jetbackup_schedules.daily.ids
}

output "schedules_by_name" {
  value = { for s in data.jetbackup_schedules.daily.schedules : s.name => s.days_of_week }
}
