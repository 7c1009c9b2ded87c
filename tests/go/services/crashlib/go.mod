module example.com/crashlib

go 1.19
