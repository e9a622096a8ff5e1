program conformance
  implicit none
  character(len=16) :: mode
  character(len=256) :: line
  integer(kind=8) :: a, b, x
  integer, allocatable :: v(:)
  character(len=4096) :: arg
  integer :: i, n
  integer(kind=8), pointer :: p(:)
  read(*, '(A)') line
  read(line, *) mode
  select case (trim(mode))
  case ('hello')
    print '(A)', 'Hello, World!'
  case ('sum')
    read(line, *) mode, a, b
    print '(I0)', a + b
  case ('loop')
    x = 2
    do while (x /= 0)
      x = mod(x * x, 1000003_8)
    end do
    print '(I0)', x
  case ('args')
    do i = 1, command_argument_count()
      call get_command_argument(i, arg, n)
      write(*, '(I0,A,A,A)', advance='no') n, ':', arg(1:n), '|'
    end do
    write(*, '(A)') ''
  case ('crash')
    allocate(v(1))
    deallocate(v)
    deallocate(v)
  case ('alloc')
    ! Every chunk stays allocated: the pointer moves on, nothing is freed.
    do
      allocate(p(131072))
      p = 7
    end do
  end select
end program conformance
