module goguard.test/services

go 1.19

require example.com/crashlib v1.4.2

replace example.com/crashlib => ./crashlib
