/* SLA engine benchmark: placeholder while it is written. */
int main(void)
{
	return 0;
}
