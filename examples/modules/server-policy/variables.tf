variable "name_prefix" {
  description = "Prefix of every object's name on the server."
  type        = string
  default     = "Policy - "
}

variable "local_path" {
  description = "Directory of the local destination on the server."
  type        = string
  default     = "/backup"
}

variable "offsite_s3" {
  description = "An S3-compatible offsite destination, or null for none. Pass the keys from variables or the environment, never from code; the provider keeps them sensitive."
  type = object({
    bucket     = string
    region     = string
    endpoint   = string
    path       = string
    access_key = string
    secret_key = string
  })
  default = null
}

variable "backup_time" {
  description = "Time of day the jobs start, HHMM."
  type        = string
  default     = "0230"
}

variable "weekly_day" {
  description = "Day of the week of the weekly schedule."
  type        = string
  default     = "sunday"
}

variable "retention" {
  description = "How many backups each schedule keeps."
  type = object({
    daily  = number
    weekly = number
  })
  default = {
    daily  = 7
    weekly = 4
  }
}

variable "excluded_resellers" {
  description = "Resellers whose accounts the accounts job leaves out."
  type        = list(string)
  default     = []
}

variable "config_directories" {
  description = "Server directories the weekly configuration job archives."
  type        = list(string)
  default     = ["/etc", "/var/named"]
}

variable "failure_email" {
  description = "E-mail address failed backups (JetBackup's critical alerts) are sent to as they happen, or null for no notification."
  type        = string
  default     = null

  validation {
    condition     = var.failure_email == null || can(regex("^[^@,\\s]+@[^@,\\s]+$", var.failure_email))
    error_message = "failure_email must be one e-mail address (no commas or spaces)."
  }
}

variable "pre_backup_script" {
  description = "Absolute path on the server of a script to run before each accounts backup, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.pre_backup_script == null || startswith(coalesce(var.pre_backup_script, "/"), "/")
    error_message = "pre_backup_script must be an absolute path on the server (starting with /)."
  }
}
